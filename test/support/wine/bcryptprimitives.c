/*
 * A test-only stand-in for Windows 10's bcryptprimitives.dll, which Debian 12's Wine 8.0 does not
 * have (Wine has it from 8.13). The Windows build of Bun imports one function from it, ProcessPrng,
 * the system's random number generator; this one draws the same bytes from BCryptGenRandom in
 * bcrypt.dll, which Wine 8.0 has. It exists only so that test/e2e/release-windows.test.ts can run
 * the Windows executable under Wine; nothing ships it.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -o bcryptprimitives.dll bcryptprimitives.c -lbcrypt
 */
#include <windows.h>
#include <bcrypt.h>

/* Windows documents ProcessPrng as always returning TRUE; BCryptGenRandom takes a ULONG length. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
