// account/update_profile: the caller edits its own name, url, location and description. The
// rules (limits, one event per changed field) live in the graph; this file names the fields and
// words a refusal as Twitter did (403/120, naming the field and its limit).
import { ProfileTooLongError } from '../../graph/profile.js';
import { V1, V1Error } from '../../wire/v1/errors.js';
import { renderOne, type V1Handler } from './context.js';
import { actorOf } from './user-writes.js';

export const updateProfile: V1Handler = async (ctx) => {
  const { userId } = actorOf(ctx);
  const p = ctx.params;
  let user;
  try {
    user = await ctx.services.graph.updateProfile(userId, {
      name: p.text('name'), url: p.text('url'), location: p.text('location'), description: p.text('description'),
    });
  } catch (err) {
    if (err instanceof ProfileTooLongError) throw new V1Error(V1.accountUpdateFailed, `Account update failed: ${err.message}.`);
    throw err;
  }
  return renderOne(ctx, user, null, { variant: 'self', includeEntities: p.flag('include_entities') });
};
