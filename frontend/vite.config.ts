import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The dev server forwards API calls to a locally running gateway.
const gatewayPort = process.env.SHELFSPACE_PORT || '8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${gatewayPort}`, changeOrigin: false },
    },
  },
  build: { outDir: 'dist' },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
