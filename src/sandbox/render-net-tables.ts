/**
 * The socket files of the simulated host's procfs tree, in the kernel's formats (proc(5); the
 * `get_tcp4_sock` / `udp4_format_sock` layouts): net/tcp, tcp6, udp, udp6, sockstat, sockstat6 and snmp.
 * The established sockets are nginx's upstream connections to the generation service on loopback,
 * both ends of each, which is what piles up when the connection pool saturates.
 */

/** TCP states as the kernel numbers them (include/net/tcp_states.h). */
const ESTABLISHED = 0x01;
const LISTEN = 0x0a;
/** A UDP socket that is bound but not connected shows TCP_CLOSE. */
const UDP_CLOSE = 0x07;

/** The stack's listening sockets (address, port, uid): nginx, the services, Redis, Prometheus, sshd. */
const LISTENERS = [
  ['0.0.0.0', 80, 0],
  ['127.0.0.1', 8001, 1000],
  ['127.0.0.1', 8002, 1000],
  ['127.0.0.1', 3000, 1000],
  ['127.0.0.1', 8000, 1000],
  ['127.0.0.1', 9090, 65534],
  ['127.0.0.1', 6379, 110],
  ['0.0.0.0', 22, 0],
] as const;
const GENERATION_PORT = 8002;
const NGINX_UID = 33;
const SERVICE_UID = 1000;
const FIRST_EPHEMERAL_PORT = 32768;

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
/** An IPv4 address as /proc/net/tcp prints it: the 32-bit value in host (little-endian) byte order. */
const ipv4 = (address: string) =>
  address
    .split('.')
    .reverse()
    .map((octet) => hex(Number(octet), 2))
    .join('');
/** `%pK` prints a hashed kernel pointer; derived from the inode so the files are stable. */
const pointer = (inode: number) =>
  (0xffff8a0000000000n + BigInt(inode) * 0x840n).toString(16).padStart(16, '0');

interface Socket {
  local: [string, number];
  remote: [string, number];
  state: number;
  uid: number;
  inode: number;
}

/** `%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK …`, padded to 149. */
function tcpLine(slot: number, s: Socket): string {
  const listening = s.state === LISTEN;
  const tail = listening ? '100 0 0 10 0' : '20 4 30 10 -1';
  const line =
    `${String(slot).padStart(4)}: ${ipv4(s.local[0])}:${hex(s.local[1], 4)} ${ipv4(s.remote[0])}:${hex(s.remote[1], 4)} ` +
    `${hex(s.state, 2)} 00000000:00000000 00:00000000 00000000 ${String(s.uid).padStart(5)} ` +
    `${String(0).padStart(8)} ${s.inode} 1 ${pointer(s.inode)} ${tail}`;
  return line.padEnd(149);
}

const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const UDP_HEADER =
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';
const UDP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';
const ANY6 = '0'.repeat(32);
const LOOPBACK6 = '00000000000000000000000001000000';

function tcpSockets(established: number): Socket[] {
  let inode = 40_000;
  const sockets: Socket[] = LISTENERS.map(([address, port, uid]) => ({
    local: [address, port],
    remote: ['0.0.0.0', 0],
    state: LISTEN,
    uid,
    inode: inode++,
  }));
  for (let i = 0; i < established; i += 1) {
    // Even sockets are nginx's end, odd ones the generation service's end of the same connection.
    const port = FIRST_EPHEMERAL_PORT + Math.floor(i / 2);
    const nginxEnd = i % 2 === 0;
    sockets.push({
      local: ['127.0.0.1', nginxEnd ? port : GENERATION_PORT],
      remote: ['127.0.0.1', nginxEnd ? GENERATION_PORT : port],
      state: ESTABLISHED,
      uid: nginxEnd ? NGINX_UID : SERVICE_UID,
      inode: inode++,
    });
  }
  return sockets;
}

const ICMP_FIELDS = (
  'InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs InRedirects InEchos ' +
  'InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps OutMsgs OutErrors OutRateLimitGlobal ' +
  'OutRateLimitHost OutDestUnreachs OutTimeExcds OutParmProbs OutSrcQuenchs OutRedirects OutEchos ' +
  'OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks OutAddrMaskReps'
).split(' ');
const UDP_FIELDS =
  'InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors'.split(
    ' ',
  );

/** The snmp file's Tcp section reports CurrEstab, which node_exporter exposes as node_netstat_Tcp_CurrEstab. */
function snmp(established: number): string {
  const rows: [string, Record<string, number>][] = [
    [
      'Ip',
      {
        Forwarding: 2,
        DefaultTTL: 64,
        InReceives: 48_213_904,
        InHdrErrors: 0,
        InAddrErrors: 0,
        ForwDatagrams: 0,
        InUnknownProtos: 0,
        InDiscards: 0,
        InDelivers: 48_213_870,
        OutRequests: 46_870_112,
        OutDiscards: 0,
        OutNoRoutes: 0,
        ReasmTimeout: 0,
        ReasmReqds: 0,
        ReasmOKs: 0,
        ReasmFails: 0,
        FragOKs: 0,
        FragFails: 0,
        FragCreates: 0,
        OutTransmits: 46_870_112,
      },
    ],
    [
      'Icmp',
      Object.fromEntries(
        ICMP_FIELDS.map((name) => [
          name,
          name === 'InMsgs' || name.endsWith('DestUnreachs') || name === 'OutMsgs' ? 12 : 0,
        ]),
      ),
    ],
    ['IcmpMsg', { InType3: 12, OutType3: 12 }],
    [
      'Tcp',
      {
        RtoAlgorithm: 1,
        RtoMin: 200,
        RtoMax: 120_000,
        MaxConn: -1,
        ActiveOpens: 1_204_311,
        PassiveOpens: 1_198_720,
        AttemptFails: 1_310,
        EstabResets: 2_954,
        CurrEstab: established,
        InSegs: 47_998_120,
        OutSegs: 46_702_318,
        RetransSegs: 8_120,
        InErrs: 0,
        OutRsts: 4_410,
        InCsumErrors: 0,
      },
    ],
    ['Udp', Object.fromEntries(UDP_FIELDS.map((name, i) => [name, [210_402, 31, 0, 210_433][i] ?? 0]))],
    ['UdpLite', Object.fromEntries(UDP_FIELDS.map((name) => [name, 0]))],
  ];
  return rows
    .flatMap(([section, fields]) => [
      `${section}: ${Object.keys(fields).join(' ')}`,
      `${section}: ${Object.values(fields).join(' ')}`,
    ])
    .join('\n')
    .concat('\n');
}

/** Every socket file, for `established` ESTABLISHED TCP sockets on top of the stack's listeners. */
export function renderNetTables(established: number): Record<string, string> {
  const tcp = tcpSockets(established);
  const sshd6 = 60_000;
  const chrony = 60_001;
  const tcp6Line =
    `   0: ${ANY6}:${hex(22, 4)} ${ANY6}:0000 ${hex(LISTEN, 2)} 00000000:00000000 00:00000000 00000000` +
    `     0        0 ${sshd6} 1 ${pointer(sshd6)} 100 0 0 10 0`;
  const udpLine = (address: string) =>
    `  323: ${address}:${hex(323, 4)} ${address.replace(/./g, '0')}:0000 ${hex(UDP_CLOSE, 2)} ` +
    `00000000:00000000 00:00000000 00000000   110        0 ${chrony} 2 ${pointer(chrony)} 0`;
  const tcp4 = tcp.length;
  return {
    'net/tcp': [TCP_HEADER.padEnd(149), ...tcp.map((s, slot) => tcpLine(slot, s)), ''].join('\n'),
    'net/tcp6': [TCP6_HEADER, tcp6Line, ''].join('\n'),
    'net/udp': [UDP_HEADER.padEnd(127), udpLine(ipv4('127.0.0.1')).padEnd(127), ''].join('\n'),
    'net/udp6': [UDP6_HEADER, udpLine(LOOPBACK6), ''].join('\n'),
    // `ss -s` adds alloc and tw for its "TCP:" total; alloc counts IPv4 and IPv6 sockets alike.
    'net/sockstat': [
      `sockets: used ${tcp4 + 1 + 3 + 140}`,
      `TCP: inuse ${tcp4} orphan 0 tw 0 alloc ${tcp4 + 1} mem ${Math.ceil(tcp4 / 4)}`,
      'UDP: inuse 1 mem 2',
      'UDPLITE: inuse 0',
      'RAW: inuse 0',
      'FRAG: inuse 0 memory 0',
      '',
    ].join('\n'),
    'net/sockstat6': [
      'TCP6: inuse 1',
      'UDP6: inuse 1',
      'UDPLITE6: inuse 0',
      'RAW6: inuse 0',
      'FRAG6: inuse 0 memory 0',
      '',
    ].join('\n'),
    'net/snmp': snmp(established),
  };
}
