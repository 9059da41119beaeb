package dev.ensemble.signaling.cluster;

/**
 * INTERNAL API. Lua scripts that make a compare-and-delete one step in Redis, so that a node removes
 * an entry only while it is still the node's own: a newer connection of the same peer on another
 * node may have overwritten it.
 */
final class RedisScripts {

    /** KEYS[1] a hash, ARGV[1] a field, ARGV[2] the expected value: deletes the field if it has that value. */
    static final String HDEL_IF_EQUAL = "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then"
            + " return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

    /** KEYS[1] a string key, ARGV[1] the expected value: deletes the key if it has that value. */
    static final String DEL_IF_EQUAL =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private RedisScripts() {}
}
