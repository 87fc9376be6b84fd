/* --tls: the PEM key pair every listener speaks HTTPS with, and the check that MHD can. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>

/* A PEM certificate chain or key is a few KiB; this leaves room for long chains. */
#define MAX_PEM (1024 * 1024)

int fake_tls_load(struct fake_tls *tls, const char *cert_path, const char *key_path)
{
    /* A libmicrohttpd built without GnuTLS would start plain HTTP listeners and advertise
       https:// addresses to them: refuse instead of failing obscurely in the client. */
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        fprintf(stderr, FAKE_PROGRAM ": --tls: this libmicrohttpd was built without TLS support\n");
        return -1;
    }
    if (fake_read_file(cert_path, MAX_PEM, &tls->cert) != 0 ||
        fake_read_file(key_path, MAX_PEM, &tls->key) != 0) {
        fake_tls_cleanup(tls);
        return -1;
    }
    return 0;
}

void fake_tls_cleanup(struct fake_tls *tls)
{
    if (!tls)
        return;
    free(tls->cert.data);
    free(tls->key.data);
    tls->cert.data = tls->key.data = NULL;
    tls->cert.len = tls->key.len = 0;
}
