import { computed, type ComputedRef } from 'vue';
import { useSession } from './use-session.js';

/** True when the signed-in person may change things (owner or admin); viewers only read. */
export function useCanEdit(): ComputedRef<boolean> {
  const session = useSession();
  return computed(() => {
    const role = session.state.session?.user.role;
    return role === 'owner' || role === 'admin';
  });
}
