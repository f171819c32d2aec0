// The demo product's own data: Lightning nodes in the `demo` schema of its PostgreSQL database.
import type { Pool } from 'pg';
import { SeededRandom } from '../random';

export interface NodeInfo {
  pubkey: string;
  alias: string;
  channels: number;
  capacitySats: number;
  uptimePercent: number;
  feeRatePpm: number;
}

export interface NetworkStatus {
  knownNodes: number;
  totalCapacitySats: number;
  averageChannels: number;
}

export const PUBKEY_PATTERN = /^0[23][0-9a-f]{64}$/;

/** What the demo "learns" about a node it has never seen: derived from its key, so stable. */
export function discoverNode(pubkey: string): NodeInfo {
  const random = new SeededRandom('node', pubkey);
  return {
    pubkey,
    alias: `${random.pick(['Satoshi', 'Lumen', 'Boltz', 'Amber', 'Harbor', 'Kestrel'])}${random.pick(['Node', 'Routing', 'Hub', 'Relay'])}-${pubkey.slice(2, 6)}`,
    channels: random.int(2, 180),
    capacitySats: random.int(500_000, 2_000_000_000),
    uptimePercent: Math.round(random.around(97, 4, 60, 100) * 10) / 10,
    feeRatePpm: random.int(1, 2500),
  };
}

export class NodeDirectory {
  constructor(private readonly pool: Pool) {}

  async ensureSchema(): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS demo`);
    await this.pool.query(`CREATE TABLE IF NOT EXISTS demo.nodes (
      pubkey text PRIMARY KEY,
      alias text NOT NULL,
      channels integer NOT NULL,
      capacity_sats bigint NOT NULL,
      uptime_percent double precision NOT NULL,
      fee_rate_ppm integer NOT NULL,
      first_seen timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async node(pubkey: string): Promise<NodeInfo> {
    const found = await this.pool.query<{
      alias: string;
      channels: number;
      capacity_sats: string;
      uptime_percent: number;
      fee_rate_ppm: number;
    }>(
      'SELECT alias, channels, capacity_sats, uptime_percent, fee_rate_ppm FROM demo.nodes WHERE pubkey = $1',
      [pubkey],
    );
    const row = found.rows[0];
    if (row) {
      return {
        pubkey,
        alias: row.alias,
        channels: row.channels,
        capacitySats: Number(row.capacity_sats),
        uptimePercent: row.uptime_percent,
        feeRatePpm: row.fee_rate_ppm,
      };
    }
    const node = discoverNode(pubkey);
    await this.pool.query(
      `INSERT INTO demo.nodes (pubkey, alias, channels, capacity_sats, uptime_percent, fee_rate_ppm)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pubkey) DO NOTHING`,
      [pubkey, node.alias, node.channels, node.capacitySats, node.uptimePercent, node.feeRatePpm],
    );
    return node;
  }

  async networkStatus(): Promise<NetworkStatus> {
    const { rows } = await this.pool.query<{
      nodes: string;
      capacity: string | null;
      channels: string | null;
    }>(
      'SELECT count(*) AS nodes, sum(capacity_sats) AS capacity, avg(channels) AS channels FROM demo.nodes',
    );
    const row = rows[0];
    return {
      knownNodes: Number(row?.nodes ?? 0),
      totalCapacitySats: Number(row?.capacity ?? 0),
      averageChannels: Math.round(Number(row?.channels ?? 0) * 10) / 10,
    };
  }
}
