/**
 * BullMQ's prefix for one queue under Firebreak's prefix: `{fb:firebreak-deliveries}`. BullMQ's
 * scripts touch many keys of a queue at once, which a Redis Cluster allows only within one slot: the
 * braces are a hash tag, so every key of the queue lands in the slot of `fb:<queue>`, and each queue
 * in a slot of its own (BullMQ's guidance: a hash-tagged prefix per queue, spread over the nodes).
 */
export function bullPrefix(prefix: string, queue: string): string {
  return `{${prefix}:${queue}}`;
}
