/*
 * tun_relay: puts artc load-tool viewers on the far side of a TUN device, so that the node's UDP sends leave through
 * a network interface instead of loopback. On loopback the kernel runs each datagram's receive path (IP, UDP, the
 * receiver's wake-up) inside the sender's sendto, and the node pays for its viewers' side too; on a TUN device a
 * send ends at the device's queue, as it ends at a network card's, and this relay (another process) pays for the
 * rest. See docs/PERFORMANCE.md, "artc through a network interface".
 *
 * The device must exist, be up and carry NODE_ADDR (scripts/artc-tun.sh sets it up). Viewer sockets live on
 * 127.0.0.1 and send to this relay's port; the relay writes each datagram into the device as IPv4/UDP from
 * VIEWER_ADDR:<the viewer socket's port> to NODE_ADDR:NODE_PORT, and sends what the node sends to
 * VIEWER_ADDR:<port> to 127.0.0.1:<port>. So the node sees every viewer as VIEWER_ADDR with its own port.
 *
 * usage: tun_relay DEVICE RELAY_PORT NODE_ADDR NODE_PORT VIEWER_ADDR
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define IPV4_HEADER 20
#define UDP_HEADER 8
#define MAX_DATAGRAM 65535

static uint16_t ipv4_header_checksum(const uint8_t *header) {
    uint32_t sum = 0;
    for (int i = 0; i < IPV4_HEADER; i += 2) {
        sum += (uint32_t) (header[i] << 8 | header[i + 1]);
    }
    while (sum >> 16) {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (uint16_t) ~sum;
}

static int open_tun(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
    if (fd < 0) {
        perror("tun_relay: /dev/net/tun");
        return -1;
    }
    struct ifreq request;
    memset(&request, 0, sizeof request);
    request.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(request.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &request) < 0) {
        perror("tun_relay: TUNSETIFF");
        close(fd);
        return -1;
    }
    return fd;
}

/* A datagram the node sent into the device: to the viewer socket on 127.0.0.1 with the same port. */
static void from_device(int udp, const uint8_t *packet, ssize_t length, uint32_t node, uint32_t viewer) {
    if (length < IPV4_HEADER + UDP_HEADER || packet[0] >> 4 != 4 || packet[9] != IPPROTO_UDP) {
        return; /* not IPv4/UDP (e.g. the kernel's own IPv6 router solicitations) */
    }
    int header = (packet[0] & 0x0F) * 4;
    uint32_t source;
    uint32_t destination;
    memcpy(&source, packet + 12, 4);
    memcpy(&destination, packet + 16, 4);
    uint16_t total = (uint16_t) (packet[2] << 8 | packet[3]);
    if (source != node || destination != viewer || total > length || header + UDP_HEADER > total) {
        return;
    }
    const uint8_t *udp_header = packet + header;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    memcpy(&to.sin_port, udp_header + 2, 2);
    sendto(udp, udp_header + UDP_HEADER, total - header - UDP_HEADER, 0, (struct sockaddr *) &to, sizeof to);
}

/* A datagram a viewer socket sent to the relay: into the device, from VIEWER_ADDR:<its port> to the node. */
static void to_device(int tun, uint8_t *packet, ssize_t payload, uint16_t from_port, uint32_t node, uint32_t viewer,
                      uint16_t node_port, uint16_t id) {
    uint16_t total = (uint16_t) (IPV4_HEADER + UDP_HEADER + payload);
    uint8_t *ip = packet;
    memset(ip, 0, IPV4_HEADER + UDP_HEADER);
    ip[0] = 0x45;
    ip[2] = total >> 8;
    ip[3] = total & 0xFF;
    ip[4] = id >> 8;
    ip[5] = id & 0xFF;
    ip[6] = 0x40; /* don't fragment */
    ip[8] = 64;
    ip[9] = IPPROTO_UDP;
    memcpy(ip + 12, &viewer, 4);
    memcpy(ip + 16, &node, 4);
    uint16_t checksum = ipv4_header_checksum(ip);
    ip[10] = checksum >> 8;
    ip[11] = checksum & 0xFF;
    uint8_t *udp = ip + IPV4_HEADER;
    memcpy(udp, &from_port, 2);
    memcpy(udp + 2, &node_port, 2);
    uint16_t udp_length = (uint16_t) (UDP_HEADER + payload);
    udp[4] = udp_length >> 8;
    udp[5] = udp_length & 0xFF;
    /* UDP checksum 0: none, which IPv4 allows. */
    if (write(tun, packet, total) < 0 && errno != EAGAIN) {
        perror("tun_relay: write to device");
    }
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: tun_relay DEVICE RELAY_PORT NODE_ADDR NODE_PORT VIEWER_ADDR\n");
        return 2;
    }
    struct in_addr node_addr;
    struct in_addr viewer_addr;
    if (inet_pton(AF_INET, argv[3], &node_addr) != 1 || inet_pton(AF_INET, argv[5], &viewer_addr) != 1) {
        fprintf(stderr, "tun_relay: NODE_ADDR and VIEWER_ADDR must be IPv4 addresses\n");
        return 2;
    }
    uint16_t node_port = htons((uint16_t) atoi(argv[4]));
    int tun = open_tun(argv[1]);
    if (tun < 0) {
        return 1;
    }
    int udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int buffer = 8 << 20;
    setsockopt(udp, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    setsockopt(udp, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    struct sockaddr_in relay = {.sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(argv[2])),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(udp, (struct sockaddr *) &relay, sizeof relay) < 0) {
        perror("tun_relay: bind");
        return 1;
    }
    printf("tun_relay: %s <-> 127.0.0.1:%s, node %s:%s, viewers %s\n", argv[1], argv[2], argv[3], argv[4], argv[5]);
    fflush(stdout);
    static uint8_t packet[IPV4_HEADER + UDP_HEADER + MAX_DATAGRAM];
    uint16_t id = 0;
    struct pollfd fds[2] = {{.fd = tun, .events = POLLIN}, {.fd = udp, .events = POLLIN}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("tun_relay: poll");
            return 1;
        }
        ssize_t length;
        while ((length = read(tun, packet, sizeof packet)) > 0) {
            from_device(udp, packet, length, node_addr.s_addr, viewer_addr.s_addr);
        }
        struct sockaddr_in from;
        socklen_t from_length = sizeof from;
        while ((length = recvfrom(udp, packet + IPV4_HEADER + UDP_HEADER, MAX_DATAGRAM - IPV4_HEADER - UDP_HEADER, 0,
                                  (struct sockaddr *) &from, &from_length)) >= 0) {
            to_device(tun, packet, length, from.sin_port, node_addr.s_addr, viewer_addr.s_addr, node_port, id++);
            from_length = sizeof from;
        }
    }
}
