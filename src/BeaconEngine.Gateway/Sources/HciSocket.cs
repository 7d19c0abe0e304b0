using System.ComponentModel;
using System.Runtime.InteropServices;

namespace BeaconEngine.Gateway.Sources;

/// <summary>
/// A BlueZ raw HCI socket (Linux): <c>socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI)</c> bound to one adapter, with an
/// event filter for LE Meta and command completion. .NET has no Bluetooth address family, so this talks to libc.
/// Needs CAP_NET_RAW and CAP_NET_ADMIN (root, or <c>setcap</c> on the agent).
/// </summary>
internal sealed unsafe partial class HciSocket : IDisposable
{
    private const int AfBluetooth = 31;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int BtProtoHci = 1;
    private const int SolHci = 0;
    private const int HciFilter = 2;
    private const int SolSocket = 1;
    private const int SoRcvTimeo = 20;
    private const int EAgain = 11;
    private const int EIntr = 4;

    private int _fd;

    public HciSocket(int device)
    {
        _fd = socket(AfBluetooth, SockRaw | SockCloexec, BtProtoHci);
        if (_fd < 0)
        {
            throw Fail("open a Bluetooth HCI socket");
        }

        // struct sockaddr_hci { sa_family_t hci_family; unsigned short hci_dev; unsigned short hci_channel (0: raw); }
        var address = stackalloc ushort[3] { AfBluetooth, (ushort)device, 0 };
        if (bind(_fd, address, 6) < 0)
        {
            var error = Fail($"bind to hci{device}");
            Dispose();
            throw error;
        }

        // struct hci_ufilter { u32 type_mask; u32 event_mask[2]; u16 opcode; } padded to 16 bytes.
        var filter = stackalloc uint[4];
        filter[0] = 1u << HciEventParser.EventPacket;
        filter[1] = (1u << 0x0E) | (1u << 0x0F); // Command Complete, Command Status
        filter[2] = 1u << (HciEventParser.LeMetaEvent - 32);
        filter[3] = 0;
        if (setsockopt(_fd, SolHci, HciFilter, filter, 16) < 0)
        {
            var error = Fail("set the HCI event filter");
            Dispose();
            throw error;
        }

        // Reads wake up twice a second, so cancellation is noticed without closing the socket under a reader.
        var timeout = stackalloc long[2] { 0, 500_000 };
        _ = setsockopt(_fd, SolSocket, SoRcvTimeo, timeout, 16);
    }

    public void Send(byte[] packet)
    {
        fixed (byte* p = packet)
        {
            if (write(_fd, p, packet.Length) != packet.Length)
            {
                throw Fail("send an HCI command");
            }
        }
    }

    /// <summary>One packet into <paramref name="buffer"/>: its length, or 0 when the read timed out.</summary>
    public int Receive(byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = read(_fd, p, buffer.Length);
            if (n >= 0)
            {
                return (int)n;
            }

            var errno = Marshal.GetLastPInvokeError();
            return errno is EAgain or EIntr ? 0 : throw new Win32Exception(errno, "reading the HCI socket failed");
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = close(_fd);
            _fd = -1;
        }
    }

    private static Win32Exception Fail(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new Win32Exception(errno, $"Could not {what} (errno {errno}). Is the adapter up (hciconfig hci0 up), and does the agent have CAP_NET_RAW and CAP_NET_ADMIN?");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int fd, void* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, void* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, void* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
