# An unmodified tweepy program: it calls https://api.twitter.com as tweepy always does. Only the
# environment (HTTPS_PROXY, REQUESTS_CA_BUNDLE) sends it to roost. Prints what it saw as JSON.
import json
import os
import sys

import tweepy

keys = dict(
    consumer_key=os.environ["CONSUMER_KEY"],
    consumer_secret=os.environ["CONSUMER_SECRET"],
    access_token=os.environ["ACCESS_TOKEN"],
    access_token_secret=os.environ["ACCESS_TOKEN_SECRET"],
)
follow_v1, follow_v2 = sys.argv[1], sys.argv[2]

api = tweepy.API(tweepy.OAuth1UserHandler(**keys))
me = api.verify_credentials()
shown = api.get_user(screen_name=follow_v1)
api.create_friendship(screen_name=follow_v1)
friend_ids = api.get_friend_ids()

client = tweepy.Client(**keys)
me_v2 = client.get_me()
followed = client.follow_user(follow_v2)
following = client.get_users_following(me_v2.data.id, user_auth=True)

print(json.dumps({
    "me": me.id_str,
    "shown": shown.id_str,
    "friend_ids": [str(i) for i in friend_ids],
    "me_v2": str(me_v2.data.id),
    "followed": followed.data,
    "following": sorted(u.username for u in following.data),
}))
