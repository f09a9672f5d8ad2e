// The handler of each v2 endpoint, by the endpoint's rateKey (`METHOD /path`) in endpoints.ts.
// Kept apart from the table so that the table stays plain data that imports no handler.
import type { V2Handler } from './context.js';
import * as activity from './activity-subscriptions.js';
import { stream } from './activity-stream.js';
import * as rel from './relationships.js';
import * as users from './users.js';
import * as hooks from './webhooks.js';

export const V2_HANDLERS: Readonly<Record<string, V2Handler>> = {
  'GET /2/users': users.usersByIds,
  'GET /2/users/me': users.me,
  'GET /2/users/by': users.usersByNames,
  'GET /2/users/search': users.search,
  'GET /2/users/by/username/:username': users.userByName,
  'GET /2/users/:id': users.userById,
  'GET /2/users/:id/followers': rel.userList('follow', 'in', false),
  'GET /2/users/:id/following': rel.userList('follow', 'out', false),
  'POST /2/users/:id/following': rel.follow,
  'DELETE /2/users/:source_user_id/following/:target_user_id': rel.unfollow,
  'GET /2/users/:id/blocking': rel.userList('block', 'out', true),
  'POST /2/users/:id/blocking': rel.block,
  'DELETE /2/users/:source_user_id/blocking/:target_user_id': rel.unblock,
  'GET /2/users/:id/muting': rel.userList('mute', 'out', true),
  'POST /2/users/:id/muting': rel.mute,
  'DELETE /2/users/:source_user_id/muting/:target_user_id': rel.unmute,
  'POST /2/activity/subscriptions': activity.create,
  'GET /2/activity/subscriptions': activity.list,
  'PUT /2/activity/subscriptions/:subscription_id': activity.update,
  'DELETE /2/activity/subscriptions/:subscription_id': activity.deleteOne,
  'DELETE /2/activity/subscriptions': activity.deleteByIds,
  'GET /2/activity/stream': stream,
  'GET /2/webhooks': hooks.listWebhooks,
  'POST /2/webhooks': hooks.createWebhook,
  'PUT /2/webhooks/:webhook_id': hooks.validateWebhook,
  'DELETE /2/webhooks/:webhook_id': hooks.deleteWebhook,
  'POST /2/webhooks/replay': hooks.replay,
  'POST /2/account_activity/webhooks/:webhook_id/subscriptions/all': hooks.subscribe,
  'GET /2/account_activity/webhooks/:webhook_id/subscriptions/all': hooks.isSubscribed,
  'GET /2/account_activity/webhooks/:webhook_id/subscriptions/all/list': hooks.subscriptions,
  'DELETE /2/account_activity/webhooks/:webhook_id/subscriptions/:user_id/all': hooks.unsubscribe,
  'GET /2/account_activity/subscriptions/count': hooks.subscriptionCount,
};
