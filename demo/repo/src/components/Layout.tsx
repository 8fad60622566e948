import { NavLink, Outlet } from "react-router-dom";
import { LayoutDashboard, FileText, Settings, Shield, LogOut } from "lucide-react";
import { useAuth } from "@/hooks/useAuth";
import { signOut } from "@/lib/auth";

const LOGO_SVG =
  '<svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" stroke-width="2"><path d="M4 4h16v16H4z"/><path d="M8 9h8M8 13h6"/></svg>';

const links = [
  { to: "/", label: "Dashboard", icon: LayoutDashboard },
  { to: "/invoices", label: "Invoices", icon: FileText },
  { to: "/settings", label: "Settings", icon: Settings },
];

export default function Layout() {
  const { profile } = useAuth();

  return (
    <div className="flex min-h-screen">
      <aside className="w-60 border-r bg-gray-50 p-4">
        <div className="mb-8 flex items-center gap-2 font-semibold text-indigo-600">
          <span dangerouslySetInnerHTML={{ __html: LOGO_SVG }} />
          Invoicely
        </div>
        <nav className="space-y-1">
          {links.map(({ to, label, icon: Icon }) => (
            <NavLink
              key={to}
              to={to}
              end={to === "/"}
              className={({ isActive }) =>
                `flex items-center gap-2 rounded px-3 py-2 text-sm ${isActive ? "bg-indigo-100 text-indigo-700" : "text-gray-700"}`
              }
            >
              <Icon size={16} /> {label}
            </NavLink>
          ))}
          {profile?.role === "admin" && (
            <NavLink to="/admin" className="flex items-center gap-2 rounded px-3 py-2 text-sm text-gray-700">
              <Shield size={16} /> Admin
            </NavLink>
          )}
        </nav>
        <button onClick={signOut} className="mt-8 flex items-center gap-2 text-sm text-gray-500">
          <LogOut size={16} /> Sign out
        </button>
      </aside>
      <main className="flex-1 p-8">
        <Outlet />
      </main>
    </div>
  );
}
