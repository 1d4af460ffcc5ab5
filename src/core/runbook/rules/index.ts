// The rule registry: every rule lint runs, in the order their findings are worked out (lint sorts findings by position).
// A new rule is a file in this folder exporting a `Rule`, plus one line here.
import type { Rule } from '../lint';
import { agentMissing } from './agent-missing';
import { agentNotRunnable } from './agent-not-runnable';
import { checksTimeout } from './checks-timeout';
import { frontmatterNotMapping } from './frontmatter-not-mapping';
import { frontmatterTooLarge } from './frontmatter-too-large';
import { frontmatterUnclosed } from './frontmatter-unclosed';
import { keyDuplicate } from './key-duplicate';
import { keyRequired } from './key-required';
import { keyUnknown } from './key-unknown';
import { modelBroken } from './model-broken';
import { modelCrossFamilyBedrock } from './model-cross-family-bedrock';
import { modelMissing } from './model-missing';
import { modelUndocumented } from './model-undocumented';
import { modelWrongFamily } from './model-wrong-family';
import { outputsAbsolute } from './outputs-absolute';
import { outputsReserved } from './outputs-reserved';
import { providerKeyMissing } from './provider-key-missing';
import { providerMissing } from './provider-missing';
import { providerUnsupported } from './provider-unsupported';
import { secretEnvInvalid } from './secret-env-invalid';
import { snapshotImageConflict } from './snapshot-image-conflict';
import { snapshotUnknown } from './snapshot-unknown';
import { templateSecretUndeclared } from './template-secret-undeclared';
import { templateUnknown } from './template-unknown';
import { valueEnum } from './value-enum';
import { valueType } from './value-type';
import { yamlSyntax } from './yaml-syntax';

export const RULES: readonly Rule[] = [
  // The front-matter as YAML
  frontmatterUnclosed,
  frontmatterTooLarge,
  yamlSyntax,
  frontmatterNotMapping,
  keyDuplicate,
  // The front-matter against the schema
  keyUnknown,
  keyRequired,
  valueType,
  valueEnum,
  // Agent, model and provider against the catalog
  modelCrossFamilyBedrock,
  modelWrongFamily,
  modelBroken,
  modelUndocumented,
  providerUnsupported,
  agentMissing,
  modelMissing,
  providerMissing,
  agentNotRunnable,
  providerKeyMissing,
  // Sandbox, outputs, checks
  snapshotImageConflict,
  snapshotUnknown,
  outputsReserved,
  outputsAbsolute,
  checksTimeout,
  secretEnvInvalid,
  // The body
  templateUnknown,
  templateSecretUndeclared,
];
