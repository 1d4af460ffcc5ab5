// gemini-cli (Google's @google/gemini-cli, from npm): what a run needs to drive it headless and read what it does.
// Measured on 0.61.0 (see the fixtures in test/fixtures/trajectories/gemini-cli-*).

/**
 * $HOME/.gemini/settings.json for a headless run. The auth type must be named: with GOOGLE_GEMINI_BASE_URL set and no
 * `selectedType`, gemini picks "gateway" auth and exits 41 ("Invalid auth method selected."). Usage statistics off:
 * otherwise it posts them to play.googleapis.com (Clearcut), and without a network a run waits about 8 s for it.
 */
export function geminiSettings(auth: 'gemini-api-key' | 'vertex-ai' = 'gemini-api-key'): string {
  const settings = { security: { auth: { selectedType: auth } }, privacy: { usageStatisticsEnabled: false } };
  return `${JSON.stringify(settings, null, 2)}\n`;
}
