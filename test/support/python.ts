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
