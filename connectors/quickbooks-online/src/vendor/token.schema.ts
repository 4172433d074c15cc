import { z } from 'zod';

/** Intuit OAuth2 token endpoint response (authorization_code and refresh_token grants). */
export const IntuitTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).nullish(),
  token_type: z.string().nullish(),
  expires_in: z.coerce.number().nonnegative().nullish(),
  x_refresh_token_expires_in: z.coerce.number().nonnegative().nullish(),
  id_token: z.string().nullish(),
  scope: z.string().nullish(),
});
export type IntuitTokenResponse = z.infer<typeof IntuitTokenResponse>;
