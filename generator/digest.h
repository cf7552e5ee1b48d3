/*
 * digest.h — SHA-256 of published files (nettle), as lower-case hex.
 */
#ifndef ODC_DIGEST_H
#define ODC_DIGEST_H

#include <stddef.h>

/* Writes the 64 hex digits and a NUL into hex. */
void digest_sha256_hex(const void *data, size_t len, char hex[65]);
/* The same, calling done(payload, n) after every 8 MiB hashed (n = bytes
 * hashed so far), so that the caller can release what was read. */
void digest_sha256_hex_cb(const void *data, size_t len, char hex[65],
			  void (*done)(void *payload, size_t n), void *payload);

/* MD5 (for declared Frictionless "md5:" hashes only): 32 hex digits and a NUL. */
void digest_md5_hex(const void *data, size_t len, char hex[33]);

#endif
