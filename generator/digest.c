/*
 * digest.c — SHA-256 through nettle (see digest.h).
 */
#include "digest.h"

#include <nettle/md5.h>
#include <nettle/sha2.h>

void digest_sha256_hex(const void *data, size_t len, char hex[65])
{
	digest_sha256_hex_cb(data, len, hex, NULL, NULL);
}

void digest_sha256_hex_cb(const void *data, size_t len, char hex[65],
			  void (*done)(void *payload, size_t n), void *payload)
{
	static const char digits[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];
	const unsigned char *p = data;
	size_t i;

	sha256_init(&ctx);
	/* nettle takes size_t lengths; feed in bounded chunks all the same. */
	while (len > 0) {
		size_t n = len > (8u << 20) ? (8u << 20) : len;
		sha256_update(&ctx, n, p);
		p += n;
		len -= n;
		if (done)
			done(payload, (size_t)(p - (const unsigned char *)data));
	}
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

void digest_md5_hex(const void *data, size_t len, char hex[33])
{
	static const char digits[] = "0123456789abcdef";
	struct md5_ctx ctx;
	unsigned char d[MD5_DIGEST_SIZE];
	size_t i;

	md5_init(&ctx);
	md5_update(&ctx, len, data);
	md5_digest(&ctx, MD5_DIGEST_SIZE, d);
	for (i = 0; i < MD5_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[32] = '\0';
}
