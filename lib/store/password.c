/* password.c: Argon2id password hashes and hashed random secrets (libsodium). */
#include "store_impl.h"

#include <sodium.h>
#include <string.h>

bool dbf__crypto_init(void)
{
    return sodium_init() >= 0;
}

bool dbf__password_hash(const char *password, char *hash, size_t hashlen)
{
    if (hashlen < crypto_pwhash_STRBYTES)
        return false;
    /* The interactive limits keep a login near 0.1 s on a small server. */
    return crypto_pwhash_str_alg(
               hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
               crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) == 0;
}

bool dbf__password_verify(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void dbf__password_waste(const char *password)
{
    char hash[crypto_pwhash_STRBYTES];
    dbf__password_hash(password, hash, sizeof hash);
}

void dbf__secret_new(char secret[DBF_STORE_SECRET_LEN + 1])
{
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    memcpy(secret, "dbf_", 4);
    sodium_bin2hex(secret + 4, DBF_STORE_SECRET_LEN + 1 - 4, bytes, sizeof bytes);
    sodium_memzero(bytes, sizeof bytes);
}

void dbf__secret_hash(const char *secret, unsigned char hash[DBF__SECRET_HASH_LEN])
{
    crypto_generichash(hash, DBF__SECRET_HASH_LEN, (const unsigned char *)secret, strlen(secret),
                       NULL, 0);
}
