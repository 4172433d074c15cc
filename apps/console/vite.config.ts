import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// `pnpm dev` serves the console on :5173 and forwards /api to the API on :4000, so the console
// always uses relative /api URLs: the same build is served by the API itself at / in `pnpm start`.
const apiOrigin = process.env.LEDGERLINK_API_ORIGIN ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [vue()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.CONSOLE_PORT ?? 5173),
    proxy: { '/api': { target: apiOrigin, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The timing report only measures how busy a shared machine is.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
