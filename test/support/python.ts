// Debian's python3 with python3-tweepy (apt), not the python3 a version manager may put first on PATH.
import { execFileSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

export function hasTweepy(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import tweepy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A reason to skip the tweepy tests; CI sets ROOST_TEST_REQUIRE_TWEEPY so a missing tweepy fails there instead. */
export const TWEEPY_SKIP: string | false = hasTweepy() || process.env.ROOST_TEST_REQUIRE_TWEEPY
  ? false
  : `${PYTHON} has no tweepy (apt-get install -y python3-tweepy; .ci/run does)`;
