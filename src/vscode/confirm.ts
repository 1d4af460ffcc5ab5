// A modal yes/no question, asked from one place so the integration tests, which cannot click a dialog, can answer it
// through the test hooks (testing.ts). Nothing else ever queues an answer.
import * as vscode from 'vscode';

const queued: boolean[] = [];
const asked: string[] = [];

/** Asks `question` in a modal dialog; true when the user chose `action`. */
export async function confirm(question: string, detail: string, action: string): Promise<boolean> {
  asked.push(question);
  const answer = queued.shift();
  if (answer !== undefined) return answer;
  return (await vscode.window.showWarningMessage(question, { modal: true, detail }, action)) === action;
}

/** For the test hooks only: queue the answers the next questions get; read the questions asked so far. */
export const scriptedConfirmations = {
  answer: (...answers: boolean[]): void => void queued.push(...answers),
  asked: (): readonly string[] => [...asked],
};
