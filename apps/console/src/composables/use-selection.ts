import { computed, shallowRef, type ComputedRef } from 'vue';

export interface UseSelection {
  selected: ComputedRef<ReadonlySet<string>>;
  ids: ComputedRef<string[]>;
  count: ComputedRef<number>;
  isSelected(id: string): boolean;
  toggle(id: string): void;
  /** Every visible row is selected (and there is at least one). */
  allVisibleSelected: ComputedRef<boolean>;
  /** Some, but not all, visible rows are selected. */
  someVisibleSelected: ComputedRef<boolean>;
  /** Selects every visible row, or clears them when all are already selected. */
  toggleAllVisible(): void;
  clear(): void;
}

/** Which rows are ticked. The selection survives paging; select-all acts on the visible rows. */
export function useSelection(visibleIds: () => readonly string[]): UseSelection {
  const selected = shallowRef<ReadonlySet<string>>(new Set());
  const visibleSelectedCount = computed(() => visibleIds().filter((id) => selected.value.has(id)).length);

  function toggle(id: string): void {
    const next = new Set(selected.value);
    if (!next.delete(id)) next.add(id);
    selected.value = next;
  }

  const allVisibleSelected = computed(() => visibleIds().length > 0 && visibleSelectedCount.value === visibleIds().length);

  return {
    selected: computed(() => selected.value),
    ids: computed(() => [...selected.value]),
    count: computed(() => selected.value.size),
    isSelected: (id) => selected.value.has(id),
    toggle,
    allVisibleSelected,
    someVisibleSelected: computed(() => visibleSelectedCount.value > 0 && !allVisibleSelected.value),
    toggleAllVisible() {
      const next = new Set(selected.value);
      if (allVisibleSelected.value) for (const id of visibleIds()) next.delete(id);
      else for (const id of visibleIds()) next.add(id);
      selected.value = next;
    },
    clear() {
      selected.value = new Set();
    },
  };
}
