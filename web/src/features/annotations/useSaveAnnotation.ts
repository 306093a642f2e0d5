import { annotationSchema, type AnnotationInput } from '@flowscope/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiRequestError, apiSend } from '../../lib/api';
import { ANNOTATIONS_KEY } from './useAnnotations';

/** Saves (title and description) or, with both empty, deletes the annotation on a target. */
export function useSaveAnnotation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: AnnotationInput) => {
      if (input.title.trim() === '' && input.description.trim() === '') {
        await apiSend('DELETE', `/api/annotations?target=${encodeURIComponent(input.target)}`, undefined, null).catch(
          (err: unknown) => {
            // Nothing to delete is what was asked for.
            if (!(err instanceof ApiRequestError && err.failure === 'not-found')) throw err;
          },
        );
        return null;
      }
      return apiSend('PUT', '/api/annotations', input, annotationSchema);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ANNOTATIONS_KEY }),
  });
}
