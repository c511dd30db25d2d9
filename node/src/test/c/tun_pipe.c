/*
 * tun_pipe: a wire between two TUN devices, one in this network namespace and one in another, for load tests that
 * put the viewers "on another machine". Whatever the node sends leaves through the first device and ends in its
 * queue, as it would end in a network card's; this process carries each packet to the second device, where the
 * viewers' kernel receives it (IP, TCP or UDP, the reader's wake-up) on this process's time, not the node's. On
 * loopback all of that runs inside the node's own send. Packets are copied as they are, in both directions; no
 * protocol is parsed. See docs/PERFORMANCE.md, "Viewers behind a network interface".
 *
 * Both devices must exist (ip tuntap add) and NETNS must name a namespace (ip netns add); `./liveshard
 * viewer-netns start` sets it all up.
 *
 * usage: tun_pipe NODE_SIDE_DEVICE NETNS VIEWER_SIDE_DEVICE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Large enough for a device whose MTU is raised to 65535, which stands in for a card's segmentation offload. */
#define MAX_PACKET 65536

static int attach(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
    if (fd < 0) {
        perror("tun_pipe: /dev/net/tun");
        return -1;
    }
    struct ifreq request;
    memset(&request, 0, sizeof request);
    request.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(request.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &request) < 0) {
        fprintf(stderr, "tun_pipe: attaching to %s: %s\n", name, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Moves every packet waiting on one device to the other; a packet the other side cannot take now is dropped. */
static void carry(int from, int to, unsigned char *packet) {
    ssize_t length;
    while ((length = read(from, packet, MAX_PACKET)) > 0) {
        if (write(to, packet, (size_t) length) < 0 && errno != EAGAIN && errno != EINVAL) {
            perror("tun_pipe: write");
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: tun_pipe NODE_SIDE_DEVICE NETNS VIEWER_SIDE_DEVICE\n");
        return 2;
    }
    int node_side = attach(argv[1]);
    if (node_side < 0) {
        return 1;
    }
    char path[256];
    snprintf(path, sizeof path, "/var/run/netns/%s", argv[2]);
    int namespace = open(path, O_RDONLY);
    if (namespace < 0 || setns(namespace, CLONE_NEWNET) < 0) {
        fprintf(stderr, "tun_pipe: entering network namespace %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    int viewer_side = attach(argv[3]);
    if (viewer_side < 0) {
        return 1;
    }
    printf("tun_pipe: %s <-> %s in %s\n", argv[1], argv[3], argv[2]);
    fflush(stdout);
    static unsigned char packet[MAX_PACKET];
    struct pollfd fds[2] = {{.fd = node_side, .events = POLLIN}, {.fd = viewer_side, .events = POLLIN}};
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("tun_pipe: poll");
            return 1;
        }
        carry(node_side, viewer_side, packet);
        carry(viewer_side, node_side, packet);
    }
}
