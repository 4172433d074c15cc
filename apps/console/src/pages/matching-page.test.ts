import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { connection, contact, createFakeApi, demoSession, suggestion } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import MatchingPage from './matching-page.vue';

async function open(fake: ReturnType<typeof createFakeApi>, props: Record<string, unknown> = {}) {
  const { wrapper } = await mountWithApp(MatchingPage, fake.api, { path: '/matching', props: { pollIntervalMs: 1, ...props } });
  await flushPromises();
  return wrapper;
}

const button = (wrapper: VueWrapper, text: string) => {
  const found = wrapper.findAll('button').find((b) => b.text() === text);
  if (!found) throw new Error(`no button "${text}" in: ${wrapper.findAll('button').map((b) => b.text()).join(', ')}`);
  return found;
};
const card = (wrapper: VueWrapper, id: string) => wrapper.get(`article[data-suggestion-id="${id}"]`);

function twoSuggestions() {
  return [
    suggestion('s1', 'Acme Pty Ltd', [
      { remoteId: '58', name: 'Acme Pty Ltd', score: 0.82, email: 'ap@acme.example', reasons: ['Same name', 'Same e-mail (ap@acme.example)'] },
      { remoteId: '59', name: 'ACME Holdings', score: 0.8, reasons: ['Similar name'] },
    ]),
    suggestion('s2', 'Bluegum Bakery', [{ remoteId: '61', name: 'Blue Gum Bakery', score: 0.71, reasons: ['Similar name (0.71)'] }]),
  ];
}

describe('matching page', () => {
  it('shows each pending suggestion with its score, reasons and the local and remote fields side by side', async () => {
    const wrapper = await open(createFakeApi({ connections: [connection()], suggestions: twoSuggestions() }));

    const acme = card(wrapper, 's1');
    expect(acme.get('h2').text()).toBe('Acme Pty Ltd');
    expect(acme.get('.score').text()).toBe('82% match');
    expect(acme.text()).toContain('Several QuickBooks Online records fit equally well');
    const rows = acme.findAll('.compare tbody tr').map((tr) => tr.findAll('th, td').map((cell) => cell.text()));
    expect(rows[0]).toEqual(['Name', 'Acme Pty Ltd', 'Acme Pty Ltd']);
    expect(rows[1]).toEqual(['Email', 's1@example.com', 'ap@acme.example']);
    const candidates = acme.findAll('.candidate').map((label) => label.text());
    expect(candidates[0]).toContain('Acme Pty Ltd · 82% · Same name; Same e-mail (ap@acme.example)');
    expect(candidates[1]).toContain('ACME Holdings · 80% · Similar name');

    const bluegum = card(wrapper, 's2');
    expect(bluegum.get('.reasons').text()).toContain('Similar name (0.71)');
    expect(wrapper.text()).toContain('2 suggestions waiting');
  });

  it('choosing another candidate changes the side-by-side fields and what Accept links', async () => {
    const fake = createFakeApi({ connections: [connection()], suggestions: twoSuggestions(), contacts: [contact('c-s1', 'Acme Pty Ltd')] });
    const wrapper = await open(fake);
    const acme = card(wrapper, 's1');

    await acme.findAll('input[type=radio]')[1]!.setValue(true);
    expect(acme.findAll('.compare tbody tr')[0]!.findAll('td')[1]!.text()).toBe('ACME Holdings');
    const accept = acme.get('button[aria-label="Accept: link Acme Pty Ltd to ACME Holdings"]');
    await accept.trigger('click');
    await flushPromises();

    expect(fake.state.contacts[0]!.links[0]).toMatchObject({ remoteId: '59', remoteName: 'ACME Holdings', state: 'linked' });
    expect(wrapper.find('article[data-suggestion-id="s1"]').exists()).toBe(false);
    expect(wrapper.get('[role=status]').text()).toContain('Accepted 1 suggestion: it is now linked in Sandbox Company US.');
  });

  it('accepts or rejects many at once, and keeps a refused one selected with its reason', async () => {
    const fake = createFakeApi({
      connections: [connection()],
      suggestions: [...twoSuggestions(), suggestion('s3', 'Harbourview Dental', [{ remoteId: '70', name: 'Harbourview Dental', score: 0.76 }])],
      decisionFailures: new Map([['s2', 'Blue Gum Bakery is already linked to another contact; unlink it there first.']]),
    });
    const wrapper = await open(fake);

    await wrapper.get('input[aria-label="Select Acme Pty Ltd"]').setValue(true);
    await wrapper.get('input[aria-label="Select Bluegum Bakery"]').setValue(true);
    await button(wrapper, 'Accept 2 selected').trigger('click');
    await flushPromises();

    const sent = fake.state.requests.filter((r) => r === 'POST /api/v1/connections/conn-1/suggestions/decisions');
    expect(sent).toHaveLength(1);
    expect(wrapper.find('article[data-suggestion-id="s1"]').exists()).toBe(false);
    expect(card(wrapper, 's2').get('[role=alert]').text()).toBe('Could not decide: Blue Gum Bakery is already linked to another contact; unlink it there first.');
    expect((wrapper.get('input[aria-label="Select Bluegum Bakery"]').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.text()).toContain('Accepted 1 of 2 suggestions; 1 could not be: the reason is on each one.');

    // Select all on the page, then reject: the remaining refusal stays, Harbourview goes.
    fake.state.decisionFailures.clear();
    await wrapper.get('.bulk__all input').setValue(true);
    await button(wrapper, 'Reject 2 selected').trigger('click');
    await flushPromises();
    expect(fake.state.suggestions).toEqual([]);
    expect(wrapper.text()).toContain('Rejected 2 suggestions');
    expect(wrapper.text()).toContain('No suggestions to review');
  });

  it('"Run matching" follows the run and shows its result, then lists the new suggestions', async () => {
    const fake = createFakeApi({
      connections: [connection()],
      nextMatching: { autoLinked: 3, unmatched: 4, suggestions: twoSuggestions() },
    });
    const wrapper = await open(fake);
    expect(wrapper.text()).toContain('No suggestions to review');
    expect(wrapper.text()).toContain('Choose Run matching');

    await button(wrapper, 'Run matching').trigger('click');
    await vi.waitFor(() =>
      expect(wrapper.get('.run').text()).toBe('Matching finished: 3 contacts linked automatically, 2 suggestions to review, 4 with no candidate.'),
    );
    await flushPromises();
    expect(fake.state.requests).toContain('POST /api/v1/connections/conn-1/matching/run');
    expect(fake.state.requests).toContain('GET /api/v1/connections/conn-1/matching/runs/run-1');
    expect(wrapper.findAll('article[data-suggestion-id]')).toHaveLength(2);
  });

  it('says what happened when a run fails', async () => {
    const fake = createFakeApi({ connections: [connection()], nextMatching: { autoLinked: 0, unmatched: 0, suggestions: [], error: 'QuickBooks Online did not answer.' } });
    const wrapper = await open(fake);
    await button(wrapper, 'Run matching').trigger('click');
    await vi.waitFor(() => expect(wrapper.get('[role=alert]').text()).toContain('The matching run failed: QuickBooks Online did not answer. Run it again'));
  });

  it('with no connection, says to connect one first and offers nothing to run', async () => {
    const wrapper = await open(createFakeApi());
    expect(wrapper.text()).toContain('There is nothing to match against yet.');
    expect(wrapper.get('a[href="/integrations"]').text()).toContain('Connect QuickBooks Online');
    expect((button(wrapper, 'Run matching').element as HTMLButtonElement).disabled).toBe(true);
  });

  it('viewers see the suggestions and fields without Run matching, Accept, Reject or checkboxes', async () => {
    const fake = createFakeApi({
      session: { ...demoSession, user: { ...demoSession.user, role: 'viewer' } },
      connections: [connection()],
      suggestions: twoSuggestions(),
    });
    const wrapper = await open(fake);
    expect(card(wrapper, 's1').text()).toContain('Same e-mail (ap@acme.example)');
    expect(wrapper.text()).toContain('only owners and admins can decide them');
    expect(wrapper.findAll('button').map((b) => b.text())).toEqual([]);
    expect(wrapper.findAll('input[type=checkbox]')).toHaveLength(0);
    expect(wrapper.findAll('input[type=radio]').every((r) => (r.element as HTMLInputElement).disabled)).toBe(true);
  });
});
