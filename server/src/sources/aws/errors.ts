import type { SourceProblem } from '../contract.js';

/** What Flowscope reads to draw the map: enough for a read-only credential. */
export const READ_ACTIONS = [
  'sqs:ListQueues',
  'sqs:GetQueueAttributes',
  'sqs:ListDeadLetterSourceQueues',
  'sqs:ListQueueTags',
  'sns:ListTopics',
  'sns:ListSubscriptionsByTopic',
  'events:ListRules',
  'events:ListTargetsByRule',
  'cloudwatch:GetMetricData',
] as const;

/** What tapping SNS topics and EventBridge buses adds: only on Flowscope's own `flowscope-tap-…` resources. */
export const TAP_ACTIONS = [
  'sqs:CreateQueue',
  'sqs:TagQueue',
  'sqs:SetQueueAttributes',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:DeleteQueue',
  'sns:Subscribe',
  'sns:Unsubscribe',
  'events:PutRule',
  'events:PutTargets',
  'events:RemoveTargets',
  'events:DeleteRule',
  'events:TagResource',
] as const;

const textOf = (err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  return `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`.replace(/\/\/[^@/\s]*@/g, '//');
};

/** Whether the error is AWS refusing the call to this credential (not a network or server fault). */
export function isAccessDenied(err: unknown): boolean {
  return /AccessDenied|not authorized|AuthorizationError|UnauthorizedOperation/i.test(textOf(err));
}

/**
 * An AWS SDK error as something a person can act on. `where` is the account name and region,
 * never a key: the SDK's messages carry no secrets, and URLs lose any user part here.
 */
export function describeAwsError(err: unknown, where: string): SourceProblem {
  const text = textOf(err);
  if (/InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient|ExpiredToken|security token/i.test(text)) {
    return {
      reason: 'auth-failed',
      message: `AWS (${where}) refused the credentials: ${text}`,
      hint: 'Check the credentials the standard AWS chain finds (AWS_PROFILE, AWS_ACCESS_KEY_ID, ~/.aws, the role), or the profile of this aws: entry.',
    };
  }
  if (/CredentialsProviderError|Could not load credentials|credential/i.test(text)) {
    return {
      reason: 'auth-failed',
      message: `No AWS credentials found for ${where}: ${text}`,
      hint: 'Set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or give the aws: entry a profile.',
    };
  }
  if (isAccessDenied(err)) {
    return {
      reason: 'misconfigured',
      message: `AWS (${where}) does not allow a call Flowscope makes: ${text}`,
      hint: `The map needs ${READ_ACTIONS.join(', ')}; tapping topics and buses also needs ${TAP_ACTIONS.join(', ')} (on flowscope-tap-* resources only).`,
    };
  }
  if (
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|socket|timeout|EPIPE|fetch failed|connect/i.test(text)
  ) {
    return {
      reason: 'unreachable',
      message: `Cannot reach AWS (${where}): ${text}`,
      hint: 'Check the network, the region, and the endpoint override if one is set for an emulator.',
    };
  }
  return {
    reason: 'internal',
    message: `AWS source (${where}) failed: ${text}`,
    hint: 'See the server log for details.',
  };
}
