"use client";
// Every console write goes through this hook: react-query's useMutation, plus what each
// form needs the same way: the API's field errors by field name, the rest of the problem
// for a ProblemBox, the queries to invalidate on success (instead of router.refresh()),
// and a toast saying what happened.
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { ApiProblem } from "@/lib/ui/api-fetch";
import { useToast } from "./toast";

export type MutationProblem = { error: string; details: { path: string; message: string }[] };

export function useApiMutation<TInput, TResult>(options: {
  mutationFn: (input: TInput) => Promise<TResult>;
  /** Queries whose data this write changes. */
  invalidates?: readonly QueryKey[];
  /** The toast on success (none when omitted). */
  success?: string | ((result: TResult, input: TInput) => string);
  onSuccess?: (result: TResult, input: TInput) => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const mutation = useMutation<TResult, Error, TInput>({
    mutationFn: options.mutationFn,
    onSuccess: async (result, input) => {
      await Promise.all((options.invalidates ?? []).map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      if (options.success) toast(typeof options.success === "string" ? options.success : options.success(result, input));
      options.onSuccess?.(result, input);
    },
  });
  const error = mutation.error;
  const fieldErrors = error instanceof ApiProblem ? error.fieldErrors() : {};
  const problem: MutationProblem | null = error
    ? { error: error.message, details: error instanceof ApiProblem ? error.details : [] }
    : null;
  /** The problem without what the form shows at the given fields; null when nothing is left to say. */
  const problemBeyond = (fields: readonly string[]): MutationProblem | null => {
    if (!problem) return null;
    const details = problem.details.filter((d) => !fields.includes(d.path.split("/")[1] ?? ""));
    if (problem.details.length > 0 && details.length === 0) return null;
    return { error: problem.error, details };
  };
  return { ...mutation, fieldErrors, problem, problemBeyond };
}
