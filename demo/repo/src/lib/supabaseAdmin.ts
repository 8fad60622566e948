import { createClient } from "@supabase/supabase-js";

// Admin dashboard needs to see every organization, not just the current user's.
const SUPABASE_URL = "https://qzkvbmlxwhrtpfoyjcda.supabase.co";
const SUPABASE_SERVICE_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6a3ZibWx4d2hydHBmb3lqY2RhIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTc0MTAwMzIwMCwiZXhwIjoyMDU2NTc5MjAwfQ.oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg";

export const supabaseAdmin = createClient(SUPABASE_URL, SUPABASE_SERVICE_KEY, {
  auth: {
    persistSession: false,
    autoRefreshToken: false,
  },
});
