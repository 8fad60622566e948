import axios from "axios";
import { FUNCTIONS_URL, supabase } from "@/lib/supabase";

const client = axios.create({ baseURL: FUNCTIONS_URL });

client.interceptors.request.use(async (config) => {
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token;
  if (token) {
    config.headers.Authorization = `Bearer ${token}`;
  }
  return config;
});

export async function apiPost<T = any>(path: string, body: unknown): Promise<T> {
  const { data } = await client.post(path, body);
  return data;
}

export async function apiGet<T = any>(path: string): Promise<T> {
  const { data } = await client.get(path);
  return data;
}
