/*
** cryptolib.c -- OpenSSL's libcrypto, loaded with dlopen() the first time a
** key is used.  libancdb.so has no link-time dependency on it, so the library
** loads (and plaintext files open) on a machine without OpenSSL; only an
** encrypted open there fails, with a message naming the missing library.
**
** #included by ancdb.c (through ciphervfs.c).  OpenSSL's own headers are not
** needed: its objects stay opaque (void*) and only the calls below are made,
** all present with these signatures from OpenSSL 1.1.1 through 3.x.
**
** ANCDB_LIBCRYPTO, when set, names the file to load instead of the usual
** sonames (for a libcrypto outside the loader's path, and for tests).
*/
#include <dlfcn.h>

#define CRYPTO_MIN_VERSION 0x10101000UL     /* OpenSSL 1.1.1 */

typedef struct CryptoLib CryptoLib;
struct CryptoLib {
  void *h;                                  /* dlopen() handle */
  unsigned long (*OpenSSL_version_num)(void);
  const void *(*EVP_aes_256_cbc)(void);
  const void *(*EVP_sha512)(void);
  void *(*EVP_CIPHER_CTX_new)(void);
  void (*EVP_CIPHER_CTX_free)(void*);
  int (*EVP_CipherInit_ex)(void*, const void*, void*, const u8*, const u8*, int);
  int (*EVP_CIPHER_CTX_set_padding)(void*, int);
  int (*EVP_CipherUpdate)(void*, u8*, int*, const u8*, int);
  void *(*HMAC_CTX_new)(void);
  void (*HMAC_CTX_free)(void*);
  int (*HMAC_Init_ex)(void*, const void*, int, const void*, void*);
  int (*HMAC_Update)(void*, const u8*, size_t);
  int (*HMAC_Final)(void*, u8*, unsigned int*);
  int (*PKCS5_PBKDF2_HMAC)(const char*, int, const u8*, int, int, const void*, int, u8*);
  int (*RAND_bytes)(u8*, int);
};

static CryptoLib gCrypto;
static pthread_once_t cryptoOnce = PTHREAD_ONCE_INIT;
static char cryptoErr[256];                 /* why loading failed; "" when loaded */

/* Symbols in CryptoLib order, resolved into the struct's function slots. */
static const char *const azCryptoSym[] = {
  "OpenSSL_version_num", "EVP_aes_256_cbc", "EVP_sha512", "EVP_CIPHER_CTX_new",
  "EVP_CIPHER_CTX_free", "EVP_CipherInit_ex", "EVP_CIPHER_CTX_set_padding",
  "EVP_CipherUpdate", "HMAC_CTX_new", "HMAC_CTX_free", "HMAC_Init_ex", "HMAC_Update",
  "HMAC_Final", "PKCS5_PBKDF2_HMAC", "RAND_bytes"
};

static void cryptoLoad(void){
  static const char *const azName[] = { "libcrypto.so.3", "libcrypto.so.1.1" };
  const char *zEnv = getenv("ANCDB_LIBCRYPTO");
  void (**apFn)(void) = (void (**)(void))&gCrypto.OpenSSL_version_num;
  unsigned long v;
  size_t i;
  if( zEnv && zEnv[0] ){
    gCrypto.h = dlopen(zEnv, RTLD_NOW | RTLD_LOCAL);
  }else{
    for(i=0; gCrypto.h==0 && i<sizeof(azName)/sizeof(azName[0]); i++){
      gCrypto.h = dlopen(azName[i], RTLD_NOW | RTLD_LOCAL);
    }
  }
  if( gCrypto.h==0 ){
    snprintf(cryptoErr, sizeof(cryptoErr), "encryption needs OpenSSL's libcrypto (%s), "
             "which could not be loaded", zEnv && zEnv[0] ? zEnv : "libcrypto.so.3 or libcrypto.so.1.1");
    return;
  }
  for(i=0; i<sizeof(azCryptoSym)/sizeof(azCryptoSym[0]); i++){
    void *pSym = dlsym(gCrypto.h, azCryptoSym[i]);
    if( pSym==0 ){
      snprintf(cryptoErr, sizeof(cryptoErr), "the loaded libcrypto lacks %s", azCryptoSym[i]);
      return;
    }
    memcpy(&apFn[i], &pSym, sizeof(pSym));
  }
  v = gCrypto.OpenSSL_version_num();
  if( v<CRYPTO_MIN_VERSION ){
    snprintf(cryptoErr, sizeof(cryptoErr), "libcrypto %lu.%lu.%lu is too old: encryption needs OpenSSL 1.1.1 or later",
             v>>28, (v>>20) & 0xff, (v>>12) & 0xff);
    return;
  }
  cryptoErr[0] = 0;
}

/* Load libcrypto once.  SQLITE_OK, or SQLITE_ERROR with *pzWhy set. */
static int cryptoReady(const char **pzWhy){
  pthread_once(&cryptoOnce, cryptoLoad);
  if( cryptoErr[0] ){ *pzWhy = cryptoErr; return SQLITE_ERROR; }
  return SQLITE_OK;
}

/* Wipe secret bytes; the compiler may not drop the stores. */
static void cryptoWipe(void *p, size_t n){
  if( p ) explicit_bzero(p, n);
}
