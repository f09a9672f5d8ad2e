// The handler of each v1.1 endpoint, by the endpoint's name in endpoints.ts. Kept apart from the
// table so that the table stays plain data that imports no handler.
import type { V1Handler } from './context.js';
import { idsList, usersList } from './cursored-lists.js';
import * as account from './account.js';
import * as friendships from './friendships.js';
import { accountRateLimitStatus } from './rate-limit-status.js';
import * as users from './users.js';
import * as writes from './user-writes.js';

export const V1_HANDLERS: Readonly<Record<string, V1Handler>> = {
  'followers/ids': idsList('follow', 'in', 'named'),
  'followers/list': usersList('follow', 'in', 'named', 'list'),
  'friends/ids': idsList('follow', 'out', 'named'),
  'friends/list': usersList('follow', 'out', 'named', 'list'),
  'friendships/incoming': idsList('request', 'in', 'caller'),
  'friendships/outgoing': idsList('request', 'out', 'caller'),
  'friendships/lookup': friendships.lookup,
  'friendships/no_retweets/ids': friendships.noRetweetIds,
  'friendships/show': friendships.show,
  'friendships/create': writes.follow,
  'friendships/destroy': writes.unfollow,
  'friendships/update': friendships.update,
  'friendships/accept': writes.acceptRequest,
  'friendships/deny': writes.denyRequest,
  'friendships/cancel': writes.cancelRequest,
  'friendships/accept_all': writes.acceptAll,
  'users/lookup': users.lookup,
  'users/search': users.search,
  'users/show': users.show,
  'blocks/create': writes.block,
  'blocks/destroy': writes.unblock,
  'blocks/ids': idsList('block', 'out', 'caller'),
  'blocks/list': usersList('block', 'out', 'caller', 'blocklist'),
  'mutes/users/create': writes.mute,
  'mutes/users/destroy': writes.unmute,
  'mutes/users/ids': idsList('mute', 'out', 'caller'),
  'mutes/users/list': usersList('mute', 'out', 'caller', 'blocklist'),
  'account/update_profile': account.updateProfile,
  'account/verify_credentials': users.verifyCredentials,
  'application/rate_limit_status': accountRateLimitStatus,
};
