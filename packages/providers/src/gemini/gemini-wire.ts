/** Wire types of the Gemini generateContent API (zod, loose). */
import { z } from 'zod';

export const geminiPartSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  functionCall: z.looseObject({ id: z.string().optional(), name: z.string(), args: z.record(z.string(), z.unknown()).optional() }).optional(),
});

export const geminiUsageSchema = z.looseObject({
  promptTokenCount: z.number().int().nonnegative().default(0),
  candidatesTokenCount: z.number().int().nonnegative().default(0),
  totalTokenCount: z.number().int().nonnegative().optional(),
  cachedContentTokenCount: z.number().int().nonnegative().optional(),
  thoughtsTokenCount: z.number().int().nonnegative().optional(),
});
export type GeminiUsage = z.infer<typeof geminiUsageSchema>;

export const geminiResponseSchema = z.looseObject({
  candidates: z
    .array(
      z.looseObject({
        index: z.number().int().optional(),
        content: z.looseObject({ role: z.string().optional(), parts: z.array(geminiPartSchema).default([]) }).optional(),
        finishReason: z.string().optional(),
      }),
    )
    .default([]),
  usageMetadata: geminiUsageSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
});
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;

export const geminiErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.looseObject({ reason: z.string().optional(), retryDelay: z.string().optional() })).optional(),
  }),
});

/** Request-side shapes we produce. */
export type GeminiPart =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { fileUri: string; mimeType?: string } }
  | { functionCall: { id?: string; name: string; args: unknown } }
  | { functionResponse: { id?: string; name: string; response: Record<string, unknown> } };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export const geminiModelListSchema = z.looseObject({
  models: z.array(z.looseObject({ name: z.string(), inputTokenLimit: z.number().optional() })).default([]),
});
