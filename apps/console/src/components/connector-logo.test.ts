import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ConnectorLogo from './connector-logo.vue';

describe('connector logo', () => {
  it('shows an inline SVG logo as an image (where it cannot run scripts)', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>';
    const img = mount(ConnectorLogo, { props: { name: 'QuickBooks Online', logo: svg } }).get('img');
    expect(img.attributes('src')).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    expect(img.attributes('alt')).toBe('');
  });

  it('uses a logo URL as it is', () => {
    const img = mount(ConnectorLogo, { props: { name: 'Xero', logo: 'https://cdn.example/xero.svg' } }).get('img');
    expect(img.attributes('src')).toBe('https://cdn.example/xero.svg');
  });

  it('shows initials without a logo, or when the logo does not load', async () => {
    expect(mount(ConnectorLogo, { props: { name: 'QuickBooks Online' } }).text()).toBe('QO');
    const broken = mount(ConnectorLogo, { props: { name: 'HubSpot CRM', logo: '/missing.png' } });
    await broken.get('img').trigger('error');
    expect(broken.find('img').exists()).toBe(false);
    expect(broken.text()).toBe('HC');
  });
});
