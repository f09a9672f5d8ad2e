// The names roost answers for when it stands in for Twitter: SDKs that hard-code
// https://api.twitter.com (or api.x.com) reach it unchanged, by hosts file or through the proxy.
export const TWITTER_HOSTS: readonly string[] = ['api.twitter.com', 'api.x.com', 'twitter.com', 'x.com'];

/** Every name on roost's certificate: the Twitter hosts and this machine. */
export const LEAF_NAMES: readonly string[] = [...TWITTER_HOSTS, 'localhost'];

export const isTwitterHost = (host: string): boolean => TWITTER_HOSTS.includes(host.toLowerCase().replace(/\.$/, ''));
