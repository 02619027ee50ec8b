/** What Node prints when SIGUSR1 opens its inspector (or tries to, when another process holds the port). */
export const INSPECTOR = /(?:Debugger listening on ws:\/\/|Starting inspector on )127\.0\.0\.1:/;
