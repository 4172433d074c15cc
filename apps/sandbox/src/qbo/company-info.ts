import type { JsonObject } from '../json.js';
import { formatQboDate, formatQboTime } from './qbo-time.js';
import type { QboCompany } from './store.js';

/** The CompanyInfo entity (`GET /v3/company/{realmId}/companyinfo/{realmId}`). */
export function renderCompanyInfo(company: QboCompany): JsonObject {
  const time = formatQboTime(company.createdMs, company.timeZone);
  const address: JsonObject =
    company.country === 'AU'
      ? { Id: '1', Line1: '1 Harbour Street', City: 'Sydney', CountrySubDivisionCode: 'NSW', PostalCode: '2000', Country: 'AU' }
      : { Id: '1', Line1: '123 Sierra Way', City: 'San Pablo', CountrySubDivisionCode: 'CA', PostalCode: '87999', Country: 'US' };
  return {
    CompanyName: company.name,
    LegalName: company.name,
    CompanyAddr: address,
    CustomerCommunicationAddr: address,
    LegalAddr: address,
    PrimaryPhone: {},
    CompanyStartDate: formatQboDate(company.createdMs, company.timeZone),
    FiscalYearStartMonth: company.country === 'AU' ? 'July' : 'January',
    Country: company.country,
    Email: { Address: 'noreply@quickbooks.com' },
    WebAddr: {},
    SupportedLanguages: 'en',
    NameValue: [
      { Name: 'NeoEnabled', Value: 'true' },
      { Name: 'IndustryType', Value: 'Retail' },
      { Name: 'CompanyType', Value: 'Other' },
      { Name: 'SubscriptionStatus', Value: 'SUBSCRIBED' },
      { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
      { Name: 'PayrollFeature', Value: 'false' },
      { Name: 'AccountantFeature', Value: 'false' },
    ],
    domain: 'QBO',
    sparse: false,
    Id: '1',
    SyncToken: '0',
    MetaData: { CreateTime: time, LastUpdatedTime: time },
  };
}
