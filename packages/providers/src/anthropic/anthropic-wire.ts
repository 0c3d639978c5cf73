/** Wire types of the Anthropic Messages API (zod, loose: new fields never break parsing). */
import { z } from 'zod';

export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative().default(0),
  output_tokens: z.number().int().nonnegative().default(0),
  cache_read_input_tokens: z.number().int().nonnegative().nullish(),
  cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

export const anthropicContentBlockSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() }),
  z.looseObject({ type: z.literal('thinking'), thinking: z.string().optional() }),
  z.looseObject({ type: z.literal('redacted_thinking') }),
]);

export const anthropicMessageResponseSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message').optional(),
  role: z.literal('assistant').optional(),
  model: z.string().optional(),
  content: z.array(z.union([anthropicContentBlockSchema, z.looseObject({ type: z.string() })])),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema.optional(),
});
export type AnthropicMessageResponse = z.infer<typeof anthropicMessageResponseSchema>;

export const anthropicErrorBodySchema = z.looseObject({
  type: z.literal('error').optional(),
  error: z.looseObject({ type: z.string(), message: z.string().optional() }),
});

/** Request-side shapes we produce. */
export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string };

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicContentBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

export type AnthropicToolChoice =
  | { type: 'auto' }
  | { type: 'any' }
  | { type: 'none' }
  | { type: 'tool'; name: string };

export const anthropicModelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), display_name: z.string().optional() })),
});
