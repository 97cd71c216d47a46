// Review decisions on AI proposals: a reviewer approves or rejects, and the brain writes who, with
// which role and why, before any agent or target hears of it.
import type { Operations } from './types.js';

export const REVIEW: Operations<'approve' | 'reject'> = {
  approve: (b, actor, { pids }) => b.approve(actor, pids, 'approved in review'),

  reject: (b, actor, { pids, reason }) => b.reject(actor, pids, reason),
};
