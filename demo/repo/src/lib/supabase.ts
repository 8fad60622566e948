import { createClient } from "@supabase/supabase-js";

const SUPABASE_URL = "https://qzkvbmlxwhrtpfoyjcda.supabase.co";
const SUPABASE_ANON_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6a3ZibWx4d2hydHBmb3lqY2RhIiwicm9sZSI6ImFub24iLCJpYXQiOjE3NDEwMDMyMDAsImV4cCI6MjA1NjU3OTIwMH0.UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA_TkB_yOaE";

export const supabase = createClient(SUPABASE_URL, SUPABASE_ANON_KEY, {
  auth: {
    storage: localStorage,
    persistSession: true,
    autoRefreshToken: true,
  },
});

export const FUNCTIONS_URL = `${SUPABASE_URL}/functions/v1`;
