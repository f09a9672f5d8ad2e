// The pages a person sees while signing in to an app: sign-in, consent, PIN, and errors.
// Every value is interpolated through `html`, which escapes it.
import type { AccessLevel } from '../../auth/types.js';
import type { UserRow } from '../../graph/types.js';
import { html, layout, type Html } from './html.js';

/** What each OAuth 2.0 scope lets an app do, in words (§3.5 of the v2 contract). */
const SCOPE_WORDS: Readonly<Record<string, string>> = {
  'tweet.read': 'Read posts you can see, including those of protected accounts you follow.',
  'tweet.write': 'Post and repost for you.',
  'tweet.moderate.write': 'Hide and unhide replies to your posts.',
  'users.read': 'Read any account you can see, including protected accounts you follow.',
  'users.email': 'See the email address of your account.',
  'follows.read': 'See who you follow and who follows you.',
  'follows.write': 'Follow and unfollow accounts for you.',
  'offline.access': 'Stay connected to your account until you revoke access.',
  'space.read': 'See Spaces.',
  'mute.read': 'See the accounts you have muted.',
  'mute.write': 'Mute and unmute accounts for you.',
  'like.read': 'See the posts you have liked.',
  'like.write': 'Like and unlike posts for you.',
  'list.read': 'See lists, including your private ones.',
  'list.write': 'Create and manage lists for you.',
  'block.read': 'See the accounts you have blocked.',
  'block.write': 'Block and unblock accounts for you.',
  'bookmark.read': 'See your bookmarks.',
  'bookmark.write': 'Add and remove bookmarks for you.',
  'dm.read': 'Read your direct messages.',
  'dm.write': 'Send and manage direct messages for you.',
  'media.write': 'Upload media for you.',
  'timeline.read': 'Read your custom timelines.',
};

export const scopeInWords = (scope: string): string => SCOPE_WORDS[scope] ?? `Use the "${scope}" permission.`;

/** What an OAuth 1.0a access level lets an app do, in words. */
export function levelInWords(level: AccessLevel): string[] {
  const read = [
    'See your profile and account information.',
    'See who you follow, who follows you, and the accounts you have muted or blocked.',
  ];
  if (level === 'read') return read;
  const write = [...read, 'Follow, unfollow, mute, unmute, block and unblock accounts for you.', 'Update your profile and settings.'];
  if (level === 'read-write') return write;
  return [...write, 'Read and send your direct messages.'];
}

export interface SignInView {
  action: string;
  csrf: string;
  returnTo: string;
  appName: string;
  screenName?: string;
  error?: string;
  /** how many attempts are allowed, shown under the form */
  note?: string;
}

export function signInPage(v: SignInView): Html {
  const invalid = v.error ? 'true' : 'false';
  const describedBy = v.error ? html` aria-describedby="sign-in-error"` : '';
  return layout('Sign in', html`<h1>Sign in to roost</h1>
<p>to continue to <strong>${v.appName}</strong></p>
${v.error ? html`<p class="error" id="sign-in-error" role="alert">${v.error}</p>` : ''}
<form method="post" action="${v.action}">
<input type="hidden" name="csrf_token" value="${v.csrf}">
<input type="hidden" name="return_to" value="${v.returnTo}">
<label for="screen_name">Screen name</label>
<input type="text" id="screen_name" name="screen_name" value="${v.screenName ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required aria-invalid="${invalid}"${describedBy}>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required aria-invalid="${invalid}"${describedBy}>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>
${v.note ? html`<p class="muted">${v.note}</p>` : ''}`);
}

export interface ConsentView {
  action: string;
  csrf: string;
  /** hidden fields naming what is being approved */
  fields: Readonly<Record<string, string>>;
  appName: string;
  user: UserRow;
  access: readonly string[];
}

export function consentPage(v: ConsentView): Html {
  return layout(`Authorize ${v.appName}`, html`<h1>Authorize ${v.appName} to use your account?</h1>
<p>You are signed in as <strong>@${v.user.screenName}</strong>${v.user.name !== v.user.screenName ? html` (${v.user.name})` : ''}.</p>
<h2 id="access-heading">${v.appName} will be able to:</h2>
<ul aria-labelledby="access-heading">
${v.access.map((a) => html`<li>${a}</li>\n`)}</ul>
<p class="muted">It will not see your password.</p>
<form method="post" action="${v.action}">
<input type="hidden" name="csrf_token" value="${v.csrf}">
${Object.entries(v.fields).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">\n`)}<div class="actions">
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
<button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
</div>
</form>`);
}

export function pinPage(appName: string, pin: string): Html {
  return layout('Your PIN', html`<h1>You authorized ${appName}</h1>
<p>Enter this PIN in ${appName} to complete the authorization:</p>
<p class="pin"><code id="oauth_pin">${pin}</code></p>
<p class="muted">The PIN works once and expires with the authorization request.</p>`);
}

export function deniedPage(appName: string): Html {
  return layout('Access denied', html`<h1>You did not authorize ${appName}</h1>
<p>${appName} has no access to your account. You can close this page.</p>`);
}

export function errorPage(title: string, message: string): Html {
  return layout(title, html`<h1>${title}</h1>
<p>${message}</p>`);
}
