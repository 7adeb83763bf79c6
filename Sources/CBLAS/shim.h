// OpenBLAS's CBLAS interface (Debian package libopenblas-dev).
#include <cblas.h>
