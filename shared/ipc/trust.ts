// Trust mode in numbers, shared by the brain (which applies them) and the panel (which explains
// them to the lead who sets the threshold), so the explanation cannot drift from the rule.

/** Every agent (and engine) starts here. */
export const INITIAL_TRUST = 50;
/** The threshold until a lead changes it: an agent would need the maximum trust. */
export const DEFAULT_TRUST_THRESHOLD = 100;
/** A person's approval of an agent's proposal; trust mode's own approvals earn nothing. */
export const TRUST_ON_APPROVE = 1;
/** A person's rejection. */
export const TRUST_ON_REJECT = -5;

/** What "TRUST MODE ≥ n" means, in one paragraph a lead can read in the header's tooltip. */
export function trustModeMeaning(threshold: number): string {
  const rule =
    `Trust mode ≥ ${threshold}: a proposal from an AI agent whose trust is ${threshold} or more is approved automatically, ` +
    'with no human review (never a script with scanner findings, never on a DIRTY or LOCKED branch). ' +
    `Agents start at trust ${INITIAL_TRUST}; each human approval adds ${TRUST_ON_APPROVE}, each rejection takes ${-TRUST_ON_REJECT}; ` +
    'automatic approvals earn nothing.';
  if (threshold <= INITIAL_TRUST) return `${rule} At ${threshold}, every new agent is auto-approved from its first proposal.`;
  if (threshold >= 100) return `${rule} At 100 it is off in practice: an agent would need the maximum trust.`;
  return rule;
}
