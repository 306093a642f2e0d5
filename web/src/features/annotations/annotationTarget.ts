/** Annotation targets, as the server names them. */
export const annotationTarget = {
  kind: (kind: string) => `kind:${kind}`,
  step: (kind: string, step: string) => `step:${kind}/${step}`,
  service: (name: string) => `service:${name}`,
  channel: (id: string) => `channel:${id}`,
} as const;
