// Debian's liblwip headers (2.1.x, the Hurd's lwipopts.h: NO_SYS=0, core locking) for
// C++: they declare C functions without extern "C" of their own.
#pragma once

extern "C" {
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "lwip/udp.h"
#include "netif/tapif.h"
}
