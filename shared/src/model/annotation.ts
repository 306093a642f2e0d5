import { z } from 'zod';

/**
 * A person's note on something Flowscope observed. Targets: `kind:<flow kind>`,
 * `step:<flow kind>/<type@channel>`, `service:<name>`, `channel:<map node id>`.
 */
export const annotationTargetSchema = z
  .string()
  .max(500)
  .regex(
    // [\s\S]: a name from traffic may hold a line break, and its node can still carry a note.
    /^(kind|step|service|channel):[\s\S]+$/,
    'use kind:<kind>, step:<kind>/<type@channel>, service:<name> or channel:<id>',
  );

export const annotationInputSchema = z
  .object({
    target: annotationTargetSchema,
    title: z.string().max(200),
    description: z.string().max(10_000),
  })
  .strict();
export type AnnotationInput = z.infer<typeof annotationInputSchema>;

export const annotationSchema = annotationInputSchema.extend({ updatedAt: z.number() });
export type Annotation = Readonly<z.infer<typeof annotationSchema>>;

export const annotationsResponseSchema = z.object({ annotations: z.array(annotationSchema) });
export type AnnotationsResponse = z.infer<typeof annotationsResponseSchema>;
