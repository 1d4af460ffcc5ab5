// The rule registry: every rule lint runs, in the order their findings are worked out (lint sorts findings by position).
// A new rule is a file in this folder exporting a `Rule`, plus one line here.
import type { Rule } from '../lint';
import { agentMissing } from './agent-missing';
import { checklistMissing } from './checklist-missing';
import { checksTimeout } from './checks-timeout';
import { frontmatterNotMapping } from './frontmatter-not-mapping';
import { frontmatterTooLarge } from './frontmatter-too-large';
import { frontmatterUnclosed } from './frontmatter-unclosed';
import { iterationUnbounded } from './iteration-unbounded';
import { keyDuplicate } from './key-duplicate';
import { keyRequired } from './key-required';
import { keyUnknown } from './key-unknown';
import { modelBroken } from './model-broken';
import { modelCrossFamilyBedrock } from './model-cross-family-bedrock';
import { modelMissing } from './model-missing';
import { modelUndocumented } from './model-undocumented';
import { modelWrongFamily } from './model-wrong-family';
import { objectiveMissing } from './objective-missing';
import { outputFilesMissing } from './output-files-missing';
import { outputsAbsolute } from './outputs-absolute';
import { outputsReserved } from './outputs-reserved';
import { parameterUnused } from './parameter-unused';
import { primaryOutputUnlisted } from './primary-output-unlisted';
import { providerKeyMissing } from './provider-key-missing';
import { providerMissing } from './provider-missing';
import { providerUnsupported } from './provider-unsupported';
import { reportUnlisted } from './report-unlisted';
import { secretEnvInvalid } from './secret-env-invalid';
import { snapshotImageConflict } from './snapshot-image-conflict';
import { snapshotUnknown } from './snapshot-unknown';
import { summaryUnlisted } from './summary-unlisted';
import { templateSecretUndeclared } from './template-secret-undeclared';
import { templateUnknown } from './template-unknown';
import { todoLeft } from './todo-left';
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
  providerKeyMissing,
  // Sandbox, outputs, checks
  snapshotImageConflict,
  snapshotUnknown,
  outputsReserved,
  outputsAbsolute,
  checksTimeout,
  secretEnvInvalid,
  // The body: its variables and parameters
  templateUnknown,
  parameterUnused,
  templateSecretUndeclared,
  // The body: the structure of Jetty's templates, for runbooks that declare `evaluation`
  objectiveMissing,
  outputFilesMissing,
  reportUnlisted,
  summaryUnlisted,
  primaryOutputUnlisted,
  iterationUnbounded,
  checklistMissing,
  todoLeft,
];
