import { z } from 'zod';

/** A contact as __DISPLAY_NAME__'s API sends it (validated before mapping). */
export const VendorContact = z.object({
  id: z.string(),
  kind: z.enum(['customer', 'supplier']),
  name: z.string(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  status: z.enum(['active', 'inactive', 'merged']),
  mergedInto: z.string().nullish(),
  version: z.number().int(),
  seq: z.number().int(),
  updatedAt: z.string(),
});
export type VendorContact = z.infer<typeof VendorContact>;

export const VendorContactList = z.object({ contacts: z.array(VendorContact), hasMore: z.boolean() });

export const VendorError = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), existingId: z.string().optional(), survivorId: z.string().optional() }),
});

/** What the API accepts when creating or updating a contact. */
export interface VendorContactWrite {
  kind: 'customer' | 'supplier';
  name: string;
  email?: string;
  phone?: string;
}

export const VendorToken = z.object({ access_token: z.string(), refresh_token: z.string(), expires_in: z.number(), tenant_id: z.string() });
export const VendorTenants = z.object({ tenants: z.array(z.object({ id: z.string(), name: z.string() })) });
export const VendorWebhook = z.object({
  events: z.array(z.object({ eventId: z.string(), type: z.enum(['contact.created', 'contact.updated', 'contact.deleted', 'contact.merged']), kind: z.enum(['customer', 'supplier']), id: z.string(), survivorId: z.string().optional(), at: z.string(), tenantId: z.string() })),
});

/** An invoice as the API sends it; amounts are decimal strings ("25.00") in the invoice currency. */
export const VendorInvoice = z.object({
  id: z.string(),
  contactId: z.string(),
  number: z.string(),
  issueDate: z.string(),
  dueDate: z.string().nullish(),
  currency: z.string().length(3),
  lines: z.array(z.object({ description: z.string().nullish(), quantity: z.number(), unitPrice: z.string(), amount: z.string() })),
  total: z.string(),
  amountDue: z.string(),
  status: z.enum(['open', 'paid', 'void']),
  reference: z.string().nullish(),
  updatedAt: z.string(),
});
export type VendorInvoice = z.infer<typeof VendorInvoice>;

export interface VendorInvoiceWrite {
  contactId: string;
  issueDate: string;
  dueDate?: string;
  currency: string;
  reference?: string;
  lines: { description?: string; quantity: number; unitPrice: string; amount: string }[];
}
