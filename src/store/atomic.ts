// Work another module asks to be done in the same Redis script as saving a session: one script, so
// both happen or neither (the outbox queueing a turn's replies). Only on a single Redis: on Redis
// Cluster the keys would be in different slots, and the two are done one after the other instead.

export interface AlsoWrite {
  /**
   * A Lua chunk that defines `local function also(k, a)`: its keys start at KEYS[k] and its
   * arguments at ARGV[a] (they are the last arguments); it returns a string. The chunk may define
   * other locals; it must not return.
   */
  lua: string;
  keys: readonly string[];
  args: readonly (string | number)[];
}
