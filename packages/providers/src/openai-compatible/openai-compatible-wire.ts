/** Wire types of the OpenAI chat-completions API, as far as we read them (zod, loose). */
import { z } from 'zod';

export const openAiUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().int().nonnegative().optional() }).nullish(),
});
export type OpenAiUsage = z.infer<typeof openAiUsageSchema>;

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

export const openAiChatResponseSchema = z.looseObject({
  id: z.string().default(''),
  object: z.string().optional(),
  created: z.number().optional(),
  model: z.string().optional(),
  choices: z.array(
    z.looseObject({
      index: z.number().int().nonnegative().default(0),
      message: z.looseObject({
        role: z.string().optional(),
        content: z.string().nullish(),
        tool_calls: z.array(toolCallSchema).nullish(),
        refusal: z.string().nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: openAiUsageSchema.nullish(),
  system_fingerprint: z.string().nullish(),
});
export type OpenAiChatResponse = z.infer<typeof openAiChatResponseSchema>;
/** What the schema accepts (defaults not yet applied). */
export type OpenAiChatResponseInput = z.input<typeof openAiChatResponseSchema>;

/** One streamed chunk. Read by hand on the hot path; this schema documents the shape. */
export const openAiChunkSchema = z.looseObject({
  id: z.string().optional(),
  created: z.number().optional(),
  model: z.string().optional(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      delta: z.looseObject({
        content: z.string().nullish(),
        tool_calls: z
          .array(
            z.looseObject({
              index: z.number().int(),
              id: z.string().optional(),
              function: z.looseObject({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
            }),
          )
          .optional(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: openAiUsageSchema.nullish(),
});
export type OpenAiChunk = z.infer<typeof openAiChunkSchema>;

export const openAiErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
    param: z.string().nullish(),
  }),
});

export const openAiModelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), context_length: z.number().optional(), context_window: z.number().optional() })),
});
