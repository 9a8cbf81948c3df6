import { storeContract } from '../../test/store-contract.ts';
import { MemoryStore } from './memory-store.ts';

storeContract('the in-memory', async () => {
  const store = new MemoryStore();
  return {
    store,
    leaseKey: 'in:applier',
    stream: 'in',
    seed: async (...writes) => void store.put(...writes),
    hold: async (fence) => void store.leases.set(fence.key, fence.token),
    log: async () => store.log,
    close: async () => {},
  };
});
