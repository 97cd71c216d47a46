// Change notification: which part of the panel's view changed. The control service listens and
// batches; nothing here knows who listens.
import type { ChangeKind, Changes } from './context.js';

const ALL: readonly ChangeKind[] = ['orchestrator', 'engines', 'pending', 'objects', 'audit'];

export class ChangeFeed implements Changes {
  private readonly listeners = new Set<(kind: ChangeKind) => void>();

  onChange(listener: (kind: ChangeKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(kind: ChangeKind) {
    for (const l of this.listeners) l(kind);
  }
  emitAll() {
    for (const k of ALL) this.emit(k);
  }
}
