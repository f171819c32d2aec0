import { z } from 'zod';

const pricePerMTok = z.number().finite().nonnegative();

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day written YYYY-MM-DD')
  .refine(
    (day) =>
      !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
      new Date(`${day}T00:00:00Z`).toISOString().startsWith(day),
    {
      message: 'is not a real calendar day',
    },
  );

export const modelPriceSchema = z
  .object({
    provider: z.string().trim().min(1),
    model: z.string().trim().min(1),
    effectiveFrom: isoDay,
    inputPerMTok: pricePerMTok,
    outputPerMTok: pricePerMTok,
    cachedInputPerMTok: pricePerMTok,
    cacheWritePerMTok: pricePerMTok.optional(),
    cacheWrite1hPerMTok: pricePerMTok.optional(),
    reasoningPerMTok: pricePerMTok.optional(),
    serviceTier: z.string().trim().toLowerCase().min(1).optional(),
    source: z.string().trim().min(1),
    aliases: z.array(z.string().trim().min(1)).optional(),
    note: z.string().optional(),
  })
  .strict();

export const entryListSchema = z.array(modelPriceSchema);

/** A whole pricing file: a version label, provider aliases and the entries. */
export const catalogFileSchema = z
  .object({
    version: z.string().trim().min(1).optional(),
    currency: z.literal('USD').optional(),
    unit: z.string().optional(),
    notes: z.string().optional(),
    providerAliases: z.record(z.string(), z.string()).optional(),
    entries: entryListSchema,
  })
  .strict();

export type ModelPriceInput = z.infer<typeof modelPriceSchema>;

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
