/**
 * Told after the pull (or a change-feed poll) stored a remote contact in the mirror, so the
 * bidirectional CRM sync can carry the change to the other linked connections. Provided by the
 * crm-sync module; the pull works without it.
 */
export const REMOTE_CHANGE_LISTENER = Symbol('REMOTE_CHANGE_LISTENER');

export interface RemoteChangeListener {
  remoteContactStored(workspaceId: string, connectionId: string, remoteId: string): Promise<void>;
}
