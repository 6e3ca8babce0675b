/**
 * Size limits of the wire. socket.io closes a connection whose message exceeds
 * MAX_MESSAGE_BYTES; everything below it is checked by the schemas, so an oversized field
 * is refused with a reason while the connection and the coordinator go on.
 */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/**
 * A socket whose upgrade carried no token or session can say only hello (a few KB) before
 * the namespace refuses it: a bigger message closes it, so nobody unauthenticated can make
 * the coordinator buffer more than this per connection.
 */
export const MAX_ANONYMOUS_MESSAGE_BYTES = 64 * 1024;
/** What a worker packs into one results message, well under MAX_MESSAGE_BYTES. */
export const RESULT_BATCH_BYTES = 4 * 1024 * 1024;
export const MAX_BATCH_ROWS = 4096;
/** One sample's text: 16k tokens are ~64 KB; 4 MB leaves room for pathological outputs. */
export const MAX_SAMPLE_TEXT = 4 * 1024 * 1024;
export const MAX_REASON = 4096;
export const MAX_ERROR = 8192;
